/**
 * Installs the package as a user gets it: `npm pack` (so only the files package.json ships), unpacked
 * into node_modules of a fresh folder outside the repository, next to links to the repository's copies
 * of its peer dependencies. Scripts run in that folder resolve the package through its "exports".
 */
import {execFileSync} from 'node:child_process';
import {chmod, mkdir, mkdtemp, readFile, rename, symlink, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';

export interface InstalledPackage {
  /** The folder to run consumer scripts in. */
  app: string;
  /** Where the unpacked package lies (app/node_modules/<name>). */
  packageDir: string;
  manifest: PackageManifest;
}

export interface PackageManifest {
  name: string;
  exports: Record<string, unknown>;
  peerDependencies: Record<string, string>;
  bin?: Record<string, string>;
}

export async function installPackedPackage(root: string): Promise<InstalledPackage> {
  const manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as PackageManifest;
  const work = await mkdtemp(join(tmpdir(), `${manifest.name}-package-`));
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', work], {cwd: root, encoding: 'utf8'}),
  ) as {filename: string}[];
  execFileSync('tar', ['-xzf', join(work, packed[0].filename), '-C', work]);

  const app = join(work, 'app');
  const packageDir = join(app, 'node_modules', manifest.name);
  await mkdir(dirname(packageDir), {recursive: true});
  await rename(join(work, 'package'), packageDir);
  for (const peer of Object.keys(manifest.peerDependencies)) {
    const link = join(app, 'node_modules', peer);
    await mkdir(dirname(link), {recursive: true});
    await symlink(join(root, 'node_modules', peer), link, 'dir');
  }
  // As npm does on install: each command of "bin" linked in node_modules/.bin and made executable.
  for (const [command, target] of Object.entries(manifest.bin ?? {})) {
    await mkdir(join(app, 'node_modules', '.bin'), {recursive: true});
    await chmod(join(packageDir, target), 0o755);
    await symlink(join('..', manifest.name, target), join(app, 'node_modules', '.bin', command));
  }
  await writeFile(join(app, 'package.json'), JSON.stringify({private: true, type: 'module'}) + '\n');
  return {app, packageDir, manifest};
}
