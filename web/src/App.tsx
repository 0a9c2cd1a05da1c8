import { useEffect } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { Layout } from './components/Layout';
import { EmptyState, Loading } from './components/States';
import { useSession } from './session';
import { Guard } from './components/Guard';
import { volunteerRoutes } from './pages/volunteers/routes';
import { housingRoutes } from './pages/housing';
import { onCallHome, onCallRoutes } from './pages/oncall';
import Procedures from './pages/procedures/Procedures';
import SignIn from './pages/SignIn';
import AcceptInvitation from './pages/AcceptInvitation';
import ForgotPassword from './pages/ForgotPassword';
import ResetPassword from './pages/ResetPassword';
import Tenants from './pages/Tenants';
import Onboarding from './pages/Onboarding';
import Cases from './pages/Cases';
import Persons from './pages/Persons';
import CasePage from './pages/CasePage';
import Dashboard from './pages/Dashboard';
import CrossTerritory from './pages/CrossTerritory';
import NeedTypes from './pages/NeedTypes';
import ChangePassword from './pages/ChangePassword';
import Sessions from './pages/Sessions';
import ApiTokens from './pages/apiTokens/ApiTokens';
import { ROLES } from './enums';

/** The first screen for the viewer's roles. */
function Home() {
  const { t } = useTranslation();
  const { viewer, hasRole } = useSession();
  if (viewer === undefined) return <Loading />;
  if (viewer === null) return <Navigate to="/accesso" replace />;
  if (hasRole('OPERATOR', 'COORDINATOR')) return <Navigate to="/casi" replace />;
  if (hasRole('TENANT_ADMIN')) return <Navigate to="/configurazione" replace />;
  const onCall = onCallHome(hasRole);
  if (onCall) return <Navigate to={onCall} replace />;
  if (hasRole('TABLE_MEMBER')) return <Navigate to="/territori" replace />;
  if (hasRole('VOLUNTEER')) return <Navigate to="/le-mie-attivita" replace />;
  if (viewer.user.platformAdmin) return <Navigate to="/enti" replace />;
  return <EmptyState title={t('home.noRole')}>{t('home.noRoleHelp')}</EmptyState>;
}

function Title() {
  const { t, i18n } = useTranslation();
  useEffect(() => {
    document.title = t('app.title');
  }, [t, i18n.language]);
  return null;
}

export default function App() {
  const { t } = useTranslation();
  const { viewer } = useSession();
  return (
    <Layout>
      <Title />
      <Routes>
        <Route path="/" element={<Home />} />
        <Route path="/accesso" element={viewer ? <Navigate to="/" replace /> : <SignIn />} />
        <Route path="/invito" element={<AcceptInvitation />} />
        <Route path="/password/dimenticata" element={<ForgotPassword />} />
        <Route path="/password/nuova" element={<ResetPassword />} />
        <Route path="/enti" element={<Guard platform><Tenants /></Guard>} />
        <Route path="/configurazione" element={<Guard roles={['TENANT_ADMIN']}><Onboarding /></Guard>} />
        <Route path="/configurazione/tipi-di-bisogno" element={<Guard roles={['TENANT_ADMIN', 'COORDINATOR']}><NeedTypes /></Guard>} />
        <Route path="/profilo/password" element={<Guard><ChangePassword /></Guard>} />
        <Route path="/profilo/sessioni" element={<Guard><Sessions /></Guard>} />
        <Route path="/profilo/token-api" element={<Guard roles={ROLES}><ApiTokens /></Guard>} />
        <Route path="/casi" element={<Guard roles={['OPERATOR', 'COORDINATOR']}><Cases /></Guard>} />
        <Route path="/casi/:id" element={<Guard roles={['OPERATOR', 'COORDINATOR']}><CasePage /></Guard>} />
        <Route path="/persone" element={<Guard roles={['OPERATOR', 'COORDINATOR']}><Persons /></Guard>} />
        <Route path="/cruscotto" element={<Guard roles={['TENANT_ADMIN', 'COORDINATOR', 'OPERATOR']}><Dashboard /></Guard>} />
        <Route path="/territori" element={<Guard roles={['TENANT_ADMIN', 'COORDINATOR', 'TABLE_MEMBER']}><CrossTerritory /></Guard>} />
        {volunteerRoutes}
        {housingRoutes}
        {onCallRoutes}
        <Route path="/pratiche" element={<Guard roles={['OPERATOR', 'COORDINATOR']}><Procedures /></Guard>} />
        <Route path="*" element={<EmptyState title={t('notFound.title')}>{t('notFound.help')}</EmptyState>} />
      </Routes>
    </Layout>
  );
}
