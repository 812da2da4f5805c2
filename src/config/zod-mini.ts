// The zod every start-up path uses: zod/mini, the same schemas, checks and issues as classic zod, written
// as functions so esbuild keeps only what is used (classic zod costs tens of milliseconds and over 10 MiB to
// load). zod/mini ships without messages; English is set here so issue messages read as classic zod's.
// Import it as a namespace (`import * as z`): re-exporting one namespace object would defeat tree-shaking.

import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';
