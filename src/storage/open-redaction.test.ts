import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redactUrl } from './open.ts';

test('a database URL is shown without any password, before the host or in the query string', () => {
  const shown = redactUrl(
    'postgres://app:hunter2@db.example:5432/books?password=hunter3&sslpassword=hunter4&sslkey=/k.pem&sslmode=require',
  );
  for (const secret of ['hunter2', 'hunter3', 'hunter4', '/k.pem']) assert.ok(!shown.includes(secret), shown);
  const parsed = new URL(shown);
  assert.equal(parsed.username, 'app');
  assert.equal(parsed.host, 'db.example:5432');
  assert.equal(parsed.pathname, '/books');
  assert.equal(parsed.searchParams.get('sslmode'), 'require');
  assert.equal(redactUrl('postgres://app@db/books'), 'postgres://app@db/books');
  assert.equal(redactUrl('not a url'), '(unparseable URL)');
});
