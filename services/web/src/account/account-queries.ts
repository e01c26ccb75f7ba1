import { useMutation } from '@tanstack/react-query';
import type { Schemas } from '@todo/api-client';
import { dataOf } from '../api/api-error';
import { ACCOUNT_DELETED_NOTICE, useAuth, useSignedIn } from '../auth/auth-context';

export type UpdateMeBody = Schemas['UpdateMeRequest'];
export type ChangePasswordBody = Schemas['ChangePasswordRequest'];

/** The profile's name and zone; the answer becomes the signed-in user everywhere at once. */
export function useUpdateProfile() {
  const { api } = useSignedIn();
  const { userChanged } = useAuth();
  return useMutation({
    mutationFn: async (body: UpdateMeBody) =>
      dataOf(await api.client.PATCH('/api/auth/me', { body })),
    onSuccess: userChanged,
  });
}

/** task-api ends the account's other sessions and keeps this one. */
export function useChangePassword() {
  const { api } = useSignedIn();
  return useMutation({
    mutationFn: async (body: ChangePasswordBody) =>
      dataOf(await api.client.POST('/api/auth/password', { body })),
  });
}

/** Deletes the account; this tab then forgets the session as the stream's notice would. */
export function useDeleteAccount() {
  const { api } = useSignedIn();
  const { sessionEnded } = useAuth();
  return useMutation({
    mutationFn: async (password: string) =>
      dataOf(await api.client.DELETE('/api/auth/me', { body: { password } })),
    onSuccess: () => sessionEnded(ACCOUNT_DELETED_NOTICE),
  });
}
