/** Reading a file the user named on the command line, saying plainly why it could not be read. */
import { readFile } from 'node:fs/promises';
import type { Output } from './queue-pull.ts';

/** The file's text; undefined after telling the user why (missing, a directory, no permission). */
export async function readInputFile(file: string, io: Output): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'unknown error';
    io.err(`cannot read ${file} (${code})`);
    return undefined;
  }
}
