// The provider the signed-in user works as. The session names it; when the session does not
// (a sign-in reply without it), the clinic's staff and provider lists still link the two.
import type { Lists, SessionUser } from '../../../../shared/api/views';

export function ownProviderId(user: SessionUser | null, lists: Lists | undefined): string | null {
  if (!user) return null;
  if (user.providerId) return user.providerId;
  return (
    lists?.staff.find((member) => member.id === user.id)?.providerId ??
    lists?.providers.find((provider) => provider.staffId === user.id)?.id ??
    null
  );
}
