import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";

export default tseslint.config(
  { ignores: ["build/**", "node_modules/**", "db/migrations/**", "data/**", "test-results/**", "playwright-report/**", "extensions/**/dist/**", "extensions/*/shopify.d.ts", ".shopify/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read configuration through app/env.server.ts only." },
      ],
    },
  },
  {
    // The environment is read in exactly one product module and in process entries / tooling.
    files: ["app/env.server.ts", "scripts/**", "server/**", "jobs/worker.ts", "tests/**", "*.config.ts", "playwright.config.ts"],
    rules: { "no-restricted-properties": "off" },
  },
);
