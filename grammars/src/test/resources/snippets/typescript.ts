import { readFile } from 'node:fs/promises';

export interface Shape {
  readonly kind: 'circle' | 'rect';
  area(): number;
}

type Counts = Record<string, number>;

export class Circle implements Shape {
  readonly kind = 'circle' as const;
  constructor(private readonly r: number) {}
  area(): number {
    return Math.PI * this.r ** 2;
  }
}

export function countWords(text: string): Counts {
  const counts: Counts = {};
  for (const w of text.split(/\s+/).filter(Boolean)) {
    counts[w] = (counts[w] ?? 0) + 1;
  }
  return counts;
}

async function main<T extends Shape>(shapes: T[]): Promise<void> {
  const text = await readFile('README.md', 'utf8');
  const total = shapes.reduce((sum, s) => sum + s.area(), 0);
  console.log(total, countWords(text));
}

void main([new Circle(1)]);
