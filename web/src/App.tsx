/**
 * The console's routes. Each page lives in its own folder; the layout gives nav and landmarks.
 * The catalog and sign-in come with the first load; the other pages are loaded when first opened
 * (their own chunks: the composer's code editor, Markdown and diff need not slow the catalog).
 */
import { lazy, Suspense, type ReactNode } from 'react';
import { Route, Routes } from 'react-router-dom';
import { CatalogPage } from './catalog/CatalogPage';
import { Layout } from './layout/Layout';
import { NotFoundPage } from './layout/NotFoundPage';
import { RequireReader } from './layout/RequireReader';
import { SignInPage } from './signin/SignInPage';

const PackPage = lazy(() => import('./pack/PackPage').then((m) => ({ default: m.PackPage })));
const ComposerPage = lazy(() => import('./composer/ComposerPage').then((m) => ({ default: m.ComposerPage })));
const RegistriesPage = lazy(() => import('./registries/RegistriesPage').then((m) => ({ default: m.RegistriesPage })));
const RegistryPage = lazy(() => import('./registries/RegistryPage').then((m) => ({ default: m.RegistryPage })));
const AdminPage = lazy(() => import('./admin/AdminPage').then((m) => ({ default: m.AdminPage })));

const page = (element: ReactNode) => <Suspense fallback={<p aria-live="polite">Loading…</p>}>{element}</Suspense>;

export function App() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route path="/signin" element={<SignInPage />} />
        {/* Everything else needs a principal, or ALLOW_ANONYMOUS_READ. */}
        <Route element={<RequireReader />}>
          <Route index element={<CatalogPage />} />
          <Route path="/packs/:name" element={page(<PackPage />)} />
          <Route path="/profiles/new" element={page(<ComposerPage />)} />
          <Route path="/profiles/:name/:version" element={page(<ComposerPage />)} />
          <Route path="/registries" element={page(<RegistriesPage />)} />
          <Route path="/registries/:name" element={page(<RegistryPage />)} />
          <Route path="/admin" element={page(<AdminPage />)} />
        </Route>
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
