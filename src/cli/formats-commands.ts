import type { Command } from 'commander';

/** CLI commands of the formats library. */
export function registerFormatsCommands(_program: Command): void {}
