// Lets jest import numbered migration files as text, as esbuild's `text` loader does for the built API.
module.exports = {
  process(source) {
    return { code: `module.exports = ${JSON.stringify(source)};` };
  },
};
