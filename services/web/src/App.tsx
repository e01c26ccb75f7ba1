import { Navigate, Route, Routes } from 'react-router';
import { AccountLayout } from './account/AccountLayout';
import { DeleteAccountPage } from './account/DeleteAccountPage';
import { PasswordPage } from './account/PasswordPage';
import { ProfilePage } from './account/ProfilePage';
import { RequireSignedIn, RequireSignedOut } from './auth/route-guards';
import { SignInPage } from './auth/SignInPage';
import { SignUpPage } from './auth/SignUpPage';
import { AppShell } from './AppShell';
import { EditTaskPage } from './tasks/EditTaskPage';
import { SeriesPage } from './series/SeriesPage';
import { NewTaskPage } from './tasks/NewTaskPage';
import { TaskListPage } from './tasks/TaskListPage';

export function App() {
  return (
    <Routes>
      <Route element={<RequireSignedOut />}>
        <Route path="/signin" element={<SignInPage />} />
        <Route path="/signup" element={<SignUpPage />} />
      </Route>
      <Route element={<RequireSignedIn />}>
        <Route element={<AppShell />}>
          <Route index element={<TaskListPage />} />
          <Route path="/tasks/new" element={<NewTaskPage />} />
          <Route path="/tasks/:id" element={<EditTaskPage />} />
          <Route path="/tasks/:id/series" element={<SeriesPage />} />
          <Route path="/account" element={<AccountLayout />}>
            <Route index element={<ProfilePage />} />
            <Route path="password" element={<PasswordPage />} />
            <Route path="delete" element={<DeleteAccountPage />} />
          </Route>
        </Route>
      </Route>
      <Route path="*" element={<Navigate to="/" replace />} />
    </Routes>
  );
}
