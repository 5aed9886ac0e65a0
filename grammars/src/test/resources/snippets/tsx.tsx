import React, { useState } from 'react';

interface Props {
  label: string;
  initial?: number;
}

export function Counter({ label, initial = 0 }: Props): JSX.Element {
  const [count, setCount] = useState<number>(initial);
  return (
    <div className="counter">
      <span>{label}: {count}</span>
      <button onClick={() => setCount((c) => c + 1)}>+</button>
    </div>
  );
}
