// Migration files are imported as text (esbuild's `text` loader; tests/support/jest-sql-transform.js in jest).
declare module '*.sql' {
  const text: string;
  export default text;
}
