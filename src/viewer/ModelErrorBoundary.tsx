import { Component, type ReactNode } from "react";

/** Catches a model that fails to load so one broken file never blanks the whole room. */
export class ModelErrorBoundary extends Component<
  { fallback: ReactNode; onError: (error: Error) => void; children: ReactNode },
  { error: Error | null }
> {
  override state: { error: Error | null } = { error: null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override componentDidCatch(error: Error) {
    this.props.onError(error);
  }
  override render() {
    return this.state.error ? this.props.fallback : this.props.children;
  }
}
