#!/usr/bin/env node
import { main } from '../dist/controller/cli/main.js';

await main(process.argv);
