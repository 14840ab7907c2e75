/** The console's routes. Each page lives in its own folder; the layout gives nav and landmarks. */
import { Route, Routes } from 'react-router-dom';
import { AdminPage } from './admin/AdminPage';
import { CatalogPage } from './catalog/CatalogPage';
import { ComposerPage } from './composer/ComposerPage';
import { Layout } from './layout/Layout';
import { NotFoundPage } from './layout/NotFoundPage';
import { RequireReader } from './layout/RequireReader';
import { PackPage } from './pack/PackPage';
import { RegistriesPage } from './registries/RegistriesPage';
import { RegistryPage } from './registries/RegistryPage';
import { SignInPage } from './signin/SignInPage';

export function App() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route path="/signin" element={<SignInPage />} />
        {/* Everything else needs a principal, or ALLOW_ANONYMOUS_READ. */}
        <Route element={<RequireReader />}>
          <Route index element={<CatalogPage />} />
          <Route path="/packs/:name" element={<PackPage />} />
          <Route path="/profiles/new" element={<ComposerPage />} />
          <Route path="/profiles/:name/:version" element={<ComposerPage />} />
          <Route path="/registries" element={<RegistriesPage />} />
          <Route path="/registries/:name" element={<RegistryPage />} />
          <Route path="/admin" element={<AdminPage />} />
        </Route>
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
