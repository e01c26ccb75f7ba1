import { useLocation, useNavigate } from 'react-router';

/** Back to the list as it was: the link that opened a task page carries the list's URL. */
export function useBackToList(): () => void {
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from;
  return () => void navigate(from ?? '/');
}
