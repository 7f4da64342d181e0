declare module '*.mjs';
declare module 'mnist/src/digits/*.json' {
  const digits: { data: number[] };
  export default digits;
}
