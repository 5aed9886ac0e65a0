#!/usr/bin/env node
// Builds the tree-sitter natives that quarry-grammars ships inside its jar.
//
// Input: grammars.lock.json (pinned npm tarballs with their sha512) plus the core pinned in CORE below.
// Output: <out>/quarry/{natives/<platform>/*.so, queries/<name>/*.scm, grammars.json}, deterministic.
// Needs only node (built-ins), npm (registry access on a cold cache), tar and gcc/g++.
//
//   node build/build-natives.mjs [--lock FILE] [--out DIR] [--cache DIR] [--jobs N]
//
// Downloads, extracted sources and compiled libraries are cached outside target/ (so `mvn clean` keeps
// them) in --cache, else $QUARRY_BUILD_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/quarry/build. A library is
// reused when its key (integrity, srcDir, compiler command line, recipe version, compiler --version)
// matches. Every cache write is a rename of a finished temp file, so concurrent builds are safe.

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { orderPredicates } from './predicate-order.mjs';

/** Bump when anything below changes what ends up in a library or a shipped query. */
const RECIPE_VERSION = 1;
/** The runtime; must match the core that jtreesitter's version expects (see docs/grammars.md). */
const CORE = {
  package: 'tree-sitter',
  version: '0.25.1',
  integrity: 'sha512-mrcEdkYtHfrK1A6fs3O6FxkBo0Qig5XUXqHhxUOQu0bmPo00QF4XaSx4edpazdHwxnSCjlGKGgIqWdaN4dvTLA==',
  srcDir: 'vendor/tree-sitter/lib',
};
const FLAGS = ['-O2', '-fPIC', '-shared'];
// Without these the core sees le16toh/fdopen only as implicit declarations.
const CORE_FLAGS = [...FLAGS, '-std=gnu11', '-D_DEFAULT_SOURCE', '-Iinclude', '-Isrc'];
const QUERY_KINDS = ['tags', 'highlights', 'injections'];
const CORE_FILE = 'libtree-sitter.so';
const grammarFile = (g) => `libtree-sitter-${g.name}.so`;
const TAG = 'quarry natives:';

class BuildError extends Error {}

const here = path.dirname(fileURLToPath(import.meta.url));
const startedAt = process.hrtime.bigint();

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const platform = platformId();
  const lock = readLock(opts.lock);
  const cache = new BuildCache(opts.cache);

  const packages = uniquePackages([
    { ...CORE, pinnedIn: 'CORE in build-natives.mjs' },
    ...lock.map((g) => ({ ...g, pinnedIn: opts.lock })),
  ]);
  const fetched = fetchTarballs(packages, cache);
  const roots = new Map(packages.map((p) => [p.package, cache.extracted(p, fetched.files.get(p.package))]));

  const compiler = new Compiler(cache);
  const builds = [
    { name: 'core', file: CORE_FILE, ...compiler.coreJob(roots.get(CORE.package)) },
    ...lock.map((g) => ({ name: g.name, file: grammarFile(g), ...compiler.grammarJob(g, roots.get(g.package)) })),
  ];
  await compiler.runAll(builds, opts.jobs);

  const index = stage(opts.out, platform, lock, builds, roots);
  const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
  console.log(`${TAG} ${compiler.cached} cached, ${compiler.compiled} compiled, ${fetched.downloaded} downloaded; ` +
    `${index.grammars.length} grammars staged in ${path.relative(process.cwd(), opts.out) || '.'} (${seconds.toFixed(1)} s)`);
}

function parseArgs(argv) {
  const opts = {
    lock: path.join(here, '..', 'grammars.lock.json'),
    out: path.join(here, '..', 'target', 'generated-resources', 'natives'),
    cache: process.env.QUARRY_BUILD_CACHE
      || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'quarry', 'build'),
    jobs: 2,
  };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (!['--lock', '--out', '--cache', '--jobs'].includes(flag) || value === undefined) {
      throw new BuildError(`bad argument '${flag}'; usage: build-natives.mjs [--lock FILE] [--out DIR] [--cache DIR] [--jobs N]`);
    }
    opts[flag.slice(2)] = flag === '--jobs' ? Math.max(1, Number.parseInt(value, 10) || 1) : path.resolve(value);
  }
  return opts;
}

function platformId() {
  const arch = { x64: 'x86_64', arm64: 'aarch64' }[process.arch];
  if (process.platform !== 'linux' || !arch) {
    throw new BuildError(`unsupported build platform ${process.platform}-${process.arch}; only linux x64/arm64 are supported`);
  }
  return `linux-${arch}`;
}

// ---------------------------------------------------------------- lock file

function readLock(file) {
  let lock;
  try {
    lock = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new BuildError(`cannot read lock file ${file}: ${e.message}`);
  }
  if (!Array.isArray(lock) || lock.length === 0) throw new BuildError(`${file}: expected a non-empty array of grammars`);
  const claims = { extensions: new Map(), fileNames: new Map(), interpreters: new Map() };
  const packages = new Set(lock.map((g) => g.package));
  lock.forEach((g, i) => {
    const where = `${file}: entry ${i} (${g.name})`;
    for (const key of ['name', 'package', 'version', 'integrity', 'srcDir', 'symbol']) {
      if (typeof g[key] !== 'string' || g[key] === '') throw new BuildError(`${where}: '${key}' must be a non-empty string`);
    }
    if (!/^[a-z][a-z0-9_]*$/.test(g.name)) throw new BuildError(`${where}: name must match [a-z][a-z0-9_]*`);
    if (i > 0 && !(lock[i - 1].name < g.name)) throw new BuildError(`${where}: entries must be sorted by name, without duplicates`);
    if (g.symbol !== `tree_sitter_${g.name}`) throw new BuildError(`${where}: symbol must be tree_sitter_${g.name}, got ${g.symbol}`);
    if (!/^sha512-[A-Za-z0-9+/]{86}==$/.test(g.integrity)) throw new BuildError(`${where}: integrity must be an npm sha512 SRI string`);
    if (typeof g.cxx !== 'boolean') throw new BuildError(`${where}: 'cxx' must be true or false`);
    for (const kind of Object.keys(claims)) {
      if (!Array.isArray(g[kind]) || g[kind].some((v) => typeof v !== 'string' || v === '')) {
        throw new BuildError(`${where}: '${kind}' must be an array of strings`);
      }
      for (const value of g[kind]) {
        if (kind === 'extensions' && !/^\.[^A-Z]+$/.test(value)) {
          throw new BuildError(`${where}: extension '${value}' must start with '.' and be lower case (matching ignores case)`);
        }
        const owner = claims[kind].get(value);
        if (owner) throw new BuildError(`${where}: ${kind} '${value}' is already claimed by ${owner}`);
        claims[kind].set(value, g.name);
      }
    }
    if (typeof g.queries !== 'object' || g.queries === null) throw new BuildError(`${where}: 'queries' must be an object`);
    for (const kind of QUERY_KINDS) {
      for (const part of queryParts(g, kind)) {
        if (typeof part.path !== 'string' || typeof part.package !== 'string') {
          throw new BuildError(`${where}: queries.${kind} must be null, a path, or a list of paths / {package, path}`);
        }
        if (!packages.has(part.package)) throw new BuildError(`${where}: queries.${kind} refers to ${part.package}, which is not in the lock`);
      }
    }
  });
  return lock;
}

/** A query is null, "path" in this package, or a list of "path" / {package, path}, concatenated in order. */
function queryParts(grammar, kind) {
  const spec = grammar.queries[kind];
  if (spec === null || spec === undefined) return [];
  return (Array.isArray(spec) ? spec : [spec]).map((part) =>
    typeof part === 'string' ? { package: grammar.package, path: part } : part);
}

function uniquePackages(entries) {
  const byName = new Map();
  for (const e of entries) {
    const seen = byName.get(e.package);
    if (seen && (seen.version !== e.version || seen.integrity !== e.integrity)) {
      throw new BuildError(`${e.package} is pinned twice with different versions/integrity: ${seen.version} and ${e.version}`);
    }
    byName.set(e.package, { package: e.package, version: e.version, integrity: e.integrity, pinnedIn: e.pinnedIn });
  }
  return [...byName.values()];
}

// ---------------------------------------------------------------- cache: tarballs, sources

class BuildCache {
  constructor(dir) {
    this.dir = dir;
    for (const sub of ['tarballs', 'src', 'lib', 'tmp']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  }

  tarball(pkg) {
    return path.join(this.dir, 'tarballs', `${safeName(pkg.package)}-${pkg.version}.tgz`);
  }

  library(key) {
    return path.join(this.dir, 'lib', `${key}.so`);
  }

  tempDir() {
    return fs.mkdtempSync(path.join(this.dir, 'tmp', `${process.pid}-`));
  }

  /** Extracts a verified tarball once; the directory name carries the integrity it was verified against. */
  extracted(pkg, tarball) {
    const dir = path.join(this.dir, 'src', `${safeName(pkg.package)}-${pkg.version}-${sha256(pkg.integrity).slice(0, 12)}`);
    if (fs.existsSync(dir)) return dir;
    const tmp = this.tempDir();
    try {
      run('tar', ['-xzf', tarball, '-C', tmp, '--strip-components=1', '--no-same-owner']);
      publishDir(tmp, dir);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    return dir;
  }
}

function safeName(pkg) {
  return pkg.replace(/^@/, '').replace(/\//g, '-');
}

/** Moves a finished directory into place; losing a race against another build is fine. */
function publishDir(tmp, dir) {
  try {
    fs.renameSync(tmp, dir);
  } catch (e) {
    if (!fs.existsSync(dir)) throw e;
  }
}

/** Finds each package's verified tarball; only missing or mismatching ones reach npm. */
function fetchTarballs(packages, cache) {
  const files = new Map();
  const missing = packages.filter((p) => {
    const file = cache.tarball(p);
    if (fs.existsSync(file) && integrityOf(file) === p.integrity) {
      files.set(p.package, file);
      return false;
    }
    return true; // absent, or a stale/corrupt download: fetch it again and judge the fresh bytes
  });
  if (missing.length === 0) return { files, downloaded: 0 };

  const tmp = cache.tempDir();
  try {
    const specs = missing.map((p) => `${p.package}@${p.version}`);
    console.log(`${TAG} npm pack ${specs.join(' ')}`);
    // npm pack never runs install scripts for registry specs; --ignore-scripts makes that explicit.
    const out = run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', tmp, ...specs], { cwd: tmp });
    const packed = JSON.parse(out.slice(out.indexOf('[')));
    for (const p of missing) {
      const entry = packed.find((e) => e.name === p.package && e.version === p.version);
      if (!entry) throw new BuildError(`npm pack did not produce ${p.package}@${p.version}`);
      const file = path.join(tmp, entry.filename);
      const actual = integrityOf(file);
      if (actual !== p.integrity) {
        throw new BuildError(`integrity mismatch for ${p.package}@${p.version}: ` +
          `expected ${p.integrity} (pinned in ${p.pinnedIn}), actual ${actual} (tarball from npm). ` +
          'Fix the lock only after checking `npm view ' + `${p.package}@${p.version} dist.integrity\`.`);
      }
      fs.renameSync(file, cache.tarball(p));
      files.set(p.package, cache.tarball(p));
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return { files, downloaded: missing.length };
}

function integrityOf(file) {
  return `sha512-${createHash('sha512').update(fs.readFileSync(file)).digest('base64')}`;
}

// ---------------------------------------------------------------- compiling

class Compiler {
  constructor(cache) {
    this.cache = cache;
    this.versions = new Map();
    this.cached = 0;
    this.compiled = 0;
  }

  coreJob(root) {
    const cwd = path.join(root, CORE.srcDir);
    return this.job(CORE, cwd, 'gcc', [...CORE_FLAGS, 'src/lib.c']);
  }

  grammarJob(g, root) {
    const src = g.srcDir;
    const has = (file) => fs.existsSync(path.join(root, src, file));
    if (!has('parser.c')) throw new BuildError(`${g.name}: no parser.c in ${g.package}@${g.version}/${src}`);
    if (g.cxx !== has('scanner.cc')) {
      throw new BuildError(`${g.name}: lock says cxx=${g.cxx} but ${src}/scanner.cc ${has('scanner.cc') ? 'exists' : 'does not exist'}`);
    }
    const args = g.cxx
      // g++ drives the link so libstdc++ is pulled in; parser.c stays C.
      ? [...FLAGS, `-I${src}`, '-x', 'c', `${src}/parser.c`, '-x', 'c++', `${src}/scanner.cc`]
      : [...FLAGS, `-I${src}`, `${src}/parser.c`, ...(has('scanner.c') ? [`${src}/scanner.c`] : [])];
    return this.job(g, root, g.cxx ? 'g++' : 'gcc', args);
  }

  /** Paths in args are relative to cwd, so the key does not depend on where the cache lives. */
  job(pin, cwd, tool, args) {
    const key = sha256(canonicalJson({
      recipe: RECIPE_VERSION, integrity: pin.integrity, srcDir: pin.srcDir, tool, args, toolVersion: this.version(tool),
    }));
    return { cwd, tool, args, library: this.cache.library(key) };
  }

  version(tool) {
    if (!this.versions.has(tool)) this.versions.set(tool, run(tool, ['--version']));
    return this.versions.get(tool);
  }

  async runAll(jobs, parallelism) {
    const queue = jobs.filter((j) => {
      const hit = fs.existsSync(j.library);
      if (hit) this.cached++;
      return !hit;
    });
    // Biggest sources first, so the long compiles (julia, ocaml, scala) do not end up as a serial tail.
    const size = (j) => j.args.filter((a) => /\.(c|cc)$/.test(a)).reduce((n, a) => n + fs.statSync(path.join(j.cwd, a)).size, 0);
    queue.sort((a, b) => size(b) - size(a));
    const worker = async () => {
      for (let job = queue.shift(); job; job = queue.shift()) await this.compile(job);
    };
    await Promise.all(Array.from({ length: parallelism }, worker));
  }

  async compile(job) {
    const t0 = Date.now();
    const tmp = `${job.library}.${process.pid}.tmp`;
    const { code, stderr } = await runAsync(job.tool, [...job.args, '-o', tmp], job.cwd);
    if (code !== 0) {
      fs.rmSync(tmp, { force: true });
      throw new BuildError(`compiling ${job.name} failed (${job.tool} ${job.args.join(' ')}, in ${job.cwd}):\n${stderr}`);
    }
    fs.renameSync(tmp, job.library);
    this.compiled++;
    console.log(`${TAG} compiled ${job.name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  }
}

// ---------------------------------------------------------------- staging

function stage(out, platform, lock, builds, roots) {
  const quarry = path.join(out, 'quarry');
  fs.rmSync(quarry, { recursive: true, force: true });
  const nativeDir = `quarry/natives/${platform}`;
  fs.mkdirSync(path.join(out, nativeDir), { recursive: true });

  const libraries = new Map(builds.map((b) => {
    const resource = `${nativeDir}/${b.file}`;
    fs.copyFileSync(b.library, path.join(out, resource));
    return [b.file, { library: resource, librarySha256: sha256(fs.readFileSync(b.library)) }];
  }));

  const grammars = lock.map((g) => {
    const root = roots.get(g.package);
    const queries = {};
    const queryHashes = {};
    for (const kind of QUERY_KINDS) {
      const text = shippedQuery(g, kind, lock, roots);
      queries[kind] = text !== null;
      queryHashes[kind] = text === null ? null : sha256(text);
      if (text !== null) {
        const file = path.join(quarry, 'queries', g.name, `${kind}.scm`);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, text);
      }
    }
    return {
      name: g.name,
      package: g.package,
      version: g.version,
      symbol: g.symbol,
      abi: abiVersion(path.join(root, g.srcDir, 'parser.c'), g),
      wasmKey: wasmKey(g, queryHashes),
      ...libraries.get(grammarFile(g)),
      // Lock order, not sorted: the first extension is the grammar's primary one (used for virtual paths).
      extensions: g.extensions,
      fileNames: g.fileNames,
      interpreters: g.interpreters,
      queries,
    };
  });

  const index = {
    formatVersion: 1,
    platform,
    recipeVersion: RECIPE_VERSION,
    core: { package: CORE.package, version: CORE.version, ...libraries.get(CORE_FILE) },
    grammars,
  };
  fs.writeFileSync(path.join(quarry, 'grammars.json'), `${canonicalJson(index, 2)}\n`);
  return index;
}

/** The query text as shipped: parts concatenated in lock order, predicates ordered for jtreesitter. */
function shippedQuery(g, kind, lock, roots) {
  const parts = queryParts(g, kind);
  const versions = new Map(lock.map((e) => [e.package, e.version]));
  if (parts.length === 0) return null;
  const texts = parts.map((part) => {
    const file = path.join(roots.get(part.package), part.path);
    if (!fs.existsSync(file)) throw new BuildError(`${g.name}: queries.${kind} file ${part.package}/${part.path} does not exist`);
    const text = fs.readFileSync(file, 'utf8');
    const body = text.endsWith('\n') ? text : `${text}\n`;
    return parts.length === 1 ? body : `; ---- ${part.package}@${versions.get(part.package)} ${part.path}\n${body}`;
  });
  try {
    return orderPredicates(texts.join('\n'));
  } catch (e) {
    throw new BuildError(`${g.name}: cannot read queries.${kind}: ${e.message}`);
  }
}

function abiVersion(parserC, g) {
  const fd = fs.openSync(parserC, 'r');
  const head = Buffer.alloc(64 * 1024);
  const n = fs.readSync(fd, head, 0, head.length, 0);
  fs.closeSync(fd);
  const m = /#define LANGUAGE_VERSION (\d+)/.exec(head.subarray(0, n).toString('latin1'));
  if (!m) throw new BuildError(`${g.name}: no '#define LANGUAGE_VERSION' near the top of ${parserC}`);
  return Number(m[1]);
}

/**
 * `<name>-<16 hex>`: sha256 over what determines the grammar's behaviour, and nothing machine-specific
 * (no compiler version, no library bytes), so every machine computes the same key. docs/grammars.md
 * defines the descriptor; keep the two in sync.
 */
function wasmKey(g, queryHashes) {
  const descriptor = {
    package: g.package,
    version: g.version,
    integrity: g.integrity,
    srcDir: g.srcDir,
    symbol: g.symbol,
    recipe: { version: RECIPE_VERSION, flags: FLAGS, cxx: g.cxx, core: `${CORE.package}@${CORE.version}` },
    queries: queryHashes,
  };
  return `${g.name}-${sha256(canonicalJson(descriptor)).slice(0, 16)}`;
}

// ---------------------------------------------------------------- helpers

/** JSON with object keys sorted at every level; arrays keep their order. */
function canonicalJson(value, indent) {
  const sortKeys = (v) => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
    return v;
  };
  return JSON.stringify(sortKeys(value), null, indent);
}

function sha256(data) {
  return createHash('sha256').update(data).digest('hex');
}

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (r.error) throw new BuildError(`cannot run ${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new BuildError(`${cmd} ${args.join(' ')} failed with exit code ${r.status}:\n${r.stderr}`);
  return r.stdout;
}

function runAsync(cmd, args, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', (e) => reject(new BuildError(`cannot run ${cmd}: ${e.message}`)));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

// Last, so that every class above is initialized before main runs.
main().catch((e) => {
  console.error(`${TAG} ERROR: ${e instanceof BuildError ? e.message : e.stack}`);
  process.exit(1);
});
