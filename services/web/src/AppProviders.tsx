import { QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { createQueryClient } from './api/query-client';
import { AuthProvider } from './auth/AuthProvider';

export function AppProviders({ baseUrl, children }: { baseUrl: string; children: ReactNode }) {
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <AuthProvider baseUrl={baseUrl}>{children}</AuthProvider>
    </QueryClientProvider>
  );
}
