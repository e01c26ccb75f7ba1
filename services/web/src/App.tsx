import { Navigate, Route, Routes } from 'react-router';
import { RequireSignedIn, RequireSignedOut } from './auth/route-guards';
import { SignInPage } from './auth/SignInPage';
import { SignUpPage } from './auth/SignUpPage';
import { AppShell } from './AppShell';
import { EditTaskPage } from './tasks/EditTaskPage';
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
        </Route>
      </Route>
      <Route path="*" element={<Navigate to="/" replace />} />
    </Routes>
  );
}
