import { resolve } from 'node:path';
import { readInputFile, readProblem } from '../services/fs/user-paths';
import { failure } from './command';

/** A file named on the command line, or the command's one-line failure, worded by `couldNot` from the reason. */
export async function readNamedFile(path: string, couldNot: (problem: string) => string): Promise<Buffer> {
  try {
    return await readInputFile(resolve(path));
  } catch (err) {
    throw failure(couldNot(readProblem(err)));
  }
}
