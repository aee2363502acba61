/**
 * Name pools for generated people. About one in six names is non-ASCII (accents, Polish,
 * Nordic, Vietnamese, Cyrillic, CJK), written in NFC except where a test wants NFD.
 */
export const firstNames = [
  'Ana', 'Ben', 'Chloé', 'David', 'Emma', 'Farid', 'Grace', 'Hugo', 'Ines', 'Jonas', 'Kai', 'Lea',
  'Mateo', 'Nora', 'Oskar', 'Priya', 'Quinn', 'Rosa', 'Samir', 'Tara', 'Umar', 'Vera', 'Wen', 'Yusuf',
  'Zoë', 'José', 'Łukasz', 'Søren', 'Ægir', 'Mónica', 'Björn', 'Siân', 'Thảo', 'Иван', '美咲', 'François',
  'Charlotte', 'Jennifer', 'Max', 'Olivia', 'Liam', 'Mia', 'Noah', 'Sofia', 'Lucas', 'Amelia', 'Elias', 'Ida',
];

export const lastNames = [
  'Abbott', 'Baker', 'Caldwell', 'Diaz', 'Evans', 'Fischer', 'García', 'Hof', 'Ito', 'Jensen', 'Kowalski',
  'López', 'Müller', 'Novak', 'Ólafsdóttir', 'Peña', 'Quist', 'Rossi', 'Schmidt', 'Tanaka', 'Ünal', 'Varga',
  'Weiß', 'Xu', 'Yilmaz', 'Zieliński', 'Nguyễn', 'Петров', '山田', 'Brontë', "O'Brien", 'van der Berg',
  'Smith', 'Johnson', 'Brown', 'Wilson', 'Taylor', 'Martin', 'Lee', 'Walker', 'Hall', 'Young',
];

/** The ASCII local-part of an email for a name, or '' when nothing ASCII survives (Иван, 美咲). */
export function asciiFold(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[ßẞ]/g, 'ss')
    .replace(/[æÆ]/g, 'ae')
    .replace(/[øØ]/g, 'o')
    .replace(/[łŁ]/g, 'l')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

export const departments = [
  'Engineering', 'Product', 'Design', 'Sales', 'Marketing', 'Customer Success', 'Human Resources',
  'Finance', 'Legal', 'Operations', 'Recherche & Développement', 'Support',
];
export const divisions = ['North America', 'Europe', 'Asia Pacific', 'Latin America'];
export const locations = [
  'Salt Lake City, Utah', 'London', 'Berlin', 'Zürich', 'São Paulo', 'Kraków', 'Tokyo', 'Remote', 'Paris', 'Toronto',
];
export const jobTitles = [
  'Software Engineer', 'Senior Software Engineer', 'Engineering Manager', 'Product Manager', 'Designer',
  'Account Executive', 'Customer Success Manager', 'HR Administrator', 'Accountant', 'Counsel',
  'Operations Analyst', 'Support Specialist', 'Directeur Général',
];
