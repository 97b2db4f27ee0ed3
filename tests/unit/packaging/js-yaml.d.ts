// js-yaml ships no types; the workflow check only parses.
declare module 'js-yaml' {
  export function load(text: string): unknown;
}
