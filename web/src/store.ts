// A minimal observable store around the pure reducer; components subscribe with useStore.
import { useEffect, useState } from "preact/hooks";
import { initialState, reduce } from "./state";
import type { Action, State } from "./state";

/** Store holds the page state and tells subscribers when it changes. */
export class Store {
  private state: State = initialState();
  private readonly listeners = new Set<(s: State) => void>();

  getState(): State {
    return this.state;
  }

  dispatch(a: Action): void {
    const next = reduce(this.state, a);
    if (next === this.state) return;
    this.state = next;
    for (const l of this.listeners) l(next);
  }

  /** subscribe calls fn after every change and returns the unsubscribe function. */
  subscribe(fn: (s: State) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}

/** useStore re-renders the calling component whenever the store changes. */
export function useStore(store: Store): State {
  const [state, setState] = useState(store.getState());
  useEffect(() => {
    setState(store.getState());
    return store.subscribe(setState);
  }, [store]);
  return state;
}
