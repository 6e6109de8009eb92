import js from "@eslint/js";
import tseslint from "typescript-eslint";

const processImports = {
  regex: "^(@/|(\\.\\./)+)(app|components|server|worker)(/|$)",
  message: "lib/ is shared by the web and worker processes: it imports nothing from app/, components/, server/ or worker/.",
};
const dashboardImports = {
  regex: "^(@/lib/|(\\.\\./)+)dashboard(/|$)",
  message: "The sending engine imports nothing of the dashboard's read models.",
};

export default tseslint.config(
  { ignores: ["node_modules/", ".next/", "dist/", "next-env.d.ts", "test-results/", "bench-results/"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  // The direction of imports ARCHITECTURE.md promises: lib/ is what the
  // processes stand on and leans on none of them, and the worker's engine
  // knows nothing of the dashboard's read models.
  {
    files: ["lib/**/*.ts", "lib/**/*.tsx"],
    rules: { "no-restricted-imports": ["error", { patterns: [processImports] }] },
  },
  {
    files: ["lib/sending/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [processImports, dashboardImports] }] },
  },
  {
    files: ["**/*.js"],
    ...tseslint.configs.disableTypeChecked,
  },
);
