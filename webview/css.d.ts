// esbuild loads .css as text (esbuild.mjs `loader`); the webview adopts it as a stylesheet.
declare module '*.css' {
  const text: string;
  export default text;
}
