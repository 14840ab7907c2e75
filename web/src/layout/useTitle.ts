import { useEffect } from 'react';

/** The document title for a page: "<page> · Pack catalog". */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Pack catalog` : 'Pack catalog';
  }, [title]);
}
