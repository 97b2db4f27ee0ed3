import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src/cli/registry';

describe('command registry', () => {
  // Loading every command transforms most of the code base: allow for a slow CI box.
  it('lists each command once, and each loads the module with that name and summary', { timeout: 60_000 }, async () => {
    expect(new Set(COMMANDS.map((c) => c.name)).size).toBe(COMMANDS.length);
    for (const entry of COMMANDS) {
      const command = await entry.load();
      expect({ name: command.name, summary: command.summary }).toEqual({ name: entry.name, summary: entry.summary });
    }
  });
});
