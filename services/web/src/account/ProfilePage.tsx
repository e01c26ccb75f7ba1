import { useMemo, useState, type FormEvent } from 'react';
import { describeError, fieldMessage, otherFieldMessages } from '../api/api-error';
import { useSignedIn } from '../auth/auth-context';
import { browserZone, formatFull } from '../time/zoned-time';
import { ErrorMessage } from '../ui/ErrorMessage';
import { Field } from '../ui/Field';
import { useUpdateProfile, type UpdateMeBody } from './account-queries';
import { browserTimeZones, timeZoneChoices } from './time-zones';

const FIELDS = ['name', 'timezone'];

export function ProfilePage() {
  const { user } = useSignedIn();
  const [name, setName] = useState(user.name ?? '');
  const [timezone, setTimezone] = useState(user.timezone);
  const update = useUpdateProfile();
  const error = update.error ? describeError(update.error) : undefined;
  const zones = useMemo(() => timeZoneChoices(timezone, browserTimeZones()), [timezone]);
  const here = browserZone();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    // Only what changed: an untouched field is not rewritten.
    const body: UpdateMeBody = {};
    if (name.trim() !== (user.name ?? '')) body.name = name.trim() || null;
    if (timezone !== user.timezone) body.timezone = timezone;
    if (Object.keys(body).length) update.mutate(body);
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby="profile-heading">
      <h2 id="profile-heading">Profile</h2>
      <ErrorMessage view={error} extra={otherFieldMessages(error, FIELDS)} />
      {update.isSuccess && !update.isPending && (
        <p role="status" className="notice">
          Saved. Dates are shown in {user.timezone}.
        </p>
      )}
      <p>
        Signed in as <strong>{user.email}</strong>.
      </p>
      <Field label="Name" hint="Optional." error={fieldMessage(error, 'name')}>
        <input autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} />
      </Field>
      <Field
        label="Time zone"
        hint={`Due dates are shown and entered in this zone; it is now ${formatFull(new Date().toISOString(), timezone)}. Repeating tasks keep the zone they were created in.`}
        error={fieldMessage(error, 'timezone')}
      >
        <select value={timezone} onChange={(e) => setTimezone(e.target.value)}>
          {zones.map((zone) => (
            <option key={zone} value={zone}>
              {zone}
            </option>
          ))}
        </select>
      </Field>
      <div className="actions">
        <button type="submit" className="primary" disabled={update.isPending}>
          {update.isPending ? 'Saving…' : 'Save profile'}
        </button>
        {here !== timezone && (
          <button type="button" onClick={() => setTimezone(here)}>
            Use this device’s zone ({here})
          </button>
        )}
      </div>
    </form>
  );
}
