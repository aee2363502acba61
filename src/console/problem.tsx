import type { Context } from 'hono';
import { Page } from './layout.js';

export function Problem(props: { status: number; title: string; detail?: string | undefined }) {
  return (
    <Page title={props.title}>
      <h1>{props.title}</h1>
      {props.detail ? <p>{props.detail}</p> : null}
      <p>
        <a href="/console">Back to the console</a>
      </p>
    </Page>
  );
}

export const notFoundPage = (c: Context) => c.html(<Problem status={404} title="Not found" detail="There is nothing here, or it is not yours to see." />, 404);

