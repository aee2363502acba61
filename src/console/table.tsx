/**
 * A table that scrolls sideways on a small screen. The scrolling region takes focus and has a
 * name, so a keyboard alone can scroll it (axe: scrollable-region-focusable).
 */
export const ScrollTable = ({ headers, children }: { headers: string[]; children?: unknown }) => (
  <div class="scroll" tabindex={0} role="region" aria-label="Table (scrolls sideways on small screens)">
    <table>
      <thead>
        <tr>
          {headers.map((h) => (
            <th scope="col">{h}</th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  </div>
);
