// docs/scheduling.md shows the script and the systemd units whole, for copying: they must be
// the files of docs/scheduling/, which scheduling-recipe.int.test.ts runs.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

const docs = (path: string) => readFile(new URL(`../../../../docs/${path}`, import.meta.url), 'utf8');

describe('docs/scheduling.md', () => {
  it('shows the files of docs/scheduling/ as they are', async () => {
    const page = await docs('scheduling.md');
    const fenced = [...page.matchAll(/^```(?:bash|ini)\n([\s\S]*?)^```$/gm)].map((match) => match[1]);
    expect(fenced).toEqual(
      await Promise.all(['a4c-admin-nightly.sh', 'a4c-admin-nightly.service', 'a4c-admin-nightly.timer'].map((file) => docs(`scheduling/${file}`))),
    );
  });
});
