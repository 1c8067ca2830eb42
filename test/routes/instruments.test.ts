import t from 'tap'
import { buildTestApp } from '../helpers/app.js'
import { admin } from '../helpers/province.js'
import { STANDARD_INSTRUMENT } from '../../src/scoring/standard-instrument.js'

t.test('instruments: the standard one ships, new versions are numbered, inconsistent ones refused', async (t) => {
  const { app } = await buildTestApp(t)
  const list = (await app.inject({ method: 'GET', url: '/v1/instruments' })).json()
  t.match(list, [{ code: 'SIPAS-2017', version: 1, lockedAt: null }])
  const one = (await app.inject({ method: 'GET', url: '/v1/instruments/SIPAS-2017/versions/1' })).json()
  t.same(one.definition, STANDARD_INSTRUMENT, 'stored as shipped')
  t.equal((await app.inject({ method: 'GET', url: '/v1/instruments/SIPAS-2017/versions/9' })).statusCode, 404)

  // Lạng Sơn's variant: a sixth factor with digital-service criteria.
  const { version, ...draft } = STANDARD_INSTRUMENT
  t.equal(version, 1)
  const variant = {
    ...draft,
    name: 'SIPAS với tiêu chí chuyển đổi số',
    factors: [...draft.factors, { code: 'F6', name: 'Chuyển đổi số' }],
    items: [
      ...draft.items,
      { kind: 'criterion', factor: 'F6', code: 'F6.1', text: 'Dịch vụ công trực tuyến dễ sử dụng' },
      { kind: 'criterion', factor: 'F6', code: 'F6.2', text: 'Thanh toán trực tuyến thuận tiện' }
    ]
  }
  const created = await app.inject({ method: 'POST', url: '/v1/instruments', headers: admin, payload: variant })
  t.equal(created.statusCode, 201, created.body)
  t.equal(created.json().version, 2, 'the next version of the code')
  const stored = (await app.inject({ method: 'GET', url: '/v1/instruments/SIPAS-2017/versions/2' })).json()
  t.equal(stored.definition.version, 2)
  t.equal(stored.definition.factors.length, 6)

  const broken = await app.inject({
    method: 'POST',
    url: '/v1/instruments',
    headers: admin,
    payload: { ...draft, items: [...draft.items, { kind: 'criterion', factor: 'F9', code: 'F1.1', text: 'x' }] }
  })
  t.equal(broken.statusCode, 422)
  t.same(
    broken
      .json()
      .errors.map((e: { pointer: string }) => e.pointer)
      .sort(),
    [`/items/${draft.items.length}/code`, `/items/${draft.items.length}/factor`]
  )
  t.equal((await app.inject({ method: 'POST', url: '/v1/instruments', payload: variant })).statusCode, 401)
})

t.test('two versions of one code created at once: the later is a concurrent-change, not a 500', async (t) => {
  const { app, logs } = await buildTestApp(t)
  const exec = (text: string) => app.database.db.execute(text as never)
  // Another request takes the version between this one's read of the latest and its insert.
  await exec(`create function take_version() returns trigger language plpgsql as $$
    begin
      if pg_trigger_depth() = 1 then
        insert into instruments (code, version, name, definition) values (new.code, new.version, 'other', new.definition);
      end if;
      return new;
    end $$`)
  await exec('create trigger take_version before insert on instruments for each row execute function take_version()')
  const { version: _version, ...draft } = STANDARD_INSTRUMENT
  const res = await app.inject({ method: 'POST', url: '/v1/instruments', headers: admin, payload: draft })
  t.equal(res.statusCode, 409, res.body)
  t.equal(res.json().type, '/problems/concurrent-change')
  t.ok(
    logs().some((line) => line.level === 40 && line.code === '23505'),
    'logged as a warning with its SQLSTATE'
  )
})
