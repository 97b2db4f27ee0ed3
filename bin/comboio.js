#!/usr/bin/env node
// The `comboio` command: runs the TypeScript sources through tsx, so the CLI, the LAN
// server and the SEFAZ simulator need no build step on a workstation or a server box.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
