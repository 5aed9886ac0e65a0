import { readFile } from 'node:fs/promises';

const WORD = /\w+/g;

export class Counter {
  #counts = new Map();

  add(text) {
    for (const [word] of text.matchAll(WORD)) {
      this.#counts.set(word, (this.#counts.get(word) ?? 0) + 1);
    }
    return this;
  }

  top(n = 3) {
    return [...this.#counts].sort((a, b) => b[1] - a[1]).slice(0, n);
  }
}

async function main(path) {
  const text = await readFile(path, 'utf8');
  const counter = new Counter().add(text);
  console.log(`top: ${JSON.stringify(counter.top())}`);
}

main(process.argv[2]).catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
