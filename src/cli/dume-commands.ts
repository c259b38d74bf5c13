import type { Command } from 'commander';

/** CLI commands of the dume library. */
export function registerDumeCommands(_program: Command): void {}
