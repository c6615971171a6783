import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSuite } from '../src/bench/suite-load.js';
import { InputError } from '../src/core/errors.js';
import { parseVariableFlags } from '../src/bench/suite.js';

/** Return the message of the InputError that parsing `text` throws. */
function suiteError(text: string, file = 'suite.yaml'): string {
  try {
    parseSuite(text, file);
  } catch (error) {
    assert.ok(error instanceof InputError, `expected InputError, got ${String(error)}`);
    return error.message;
  }
  assert.fail('the suite was accepted');
}

describe('suite loading', () => {
  test('fills defaults, variables and models', () => {
    const suite = parseSuite(
      [
        'name: demo',
        'defaults:',
        '  model: claude-haiku-4-5',
        '  max_tokens: 100',
        '  tags: {team: a}',
        '  variables: {lang: English, tone: dry}',
        'cases:',
        '  - name: hello',
        '    prompt: "Hello in {{lang}}, {{ tone }}"',
        '    repetitions: 3',
        '    tags: {team: b, kind: greeting}',
        '  - name: compare',
        '    models: [claude-haiku-4-5, claude-sonnet-4-5]',
        '    system: "Be {{tone}}."',
        '    messages:',
        '      - {role: user, content: "Hi"}',
        '    variables: {tone: warm}',
      ].join('\n'),
      'demo.yaml',
      { variables: { lang: 'German' } },
    );

    assert.equal(suite.name, 'demo');
    assert.deepEqual(
      suite.cases.map((item) => item.name),
      ['hello', 'compare@claude-haiku-4-5', 'compare@claude-sonnet-4-5'],
    );
    const hello = suite.cases[0]!;
    assert.deepEqual(hello.messages, [{ role: 'user', content: 'Hello in German, dry' }]);
    assert.equal(hello.repetitions, 3);
    assert.equal(hello.maxTokens, 100);
    assert.equal(hello.line, 8);
    assert.deepEqual(hello.tags, { team: 'b', kind: 'greeting' });
    assert.equal(suite.cases[1]!.system, 'Be warm.');
    assert.equal(suite.cases[2]!.model, 'claude-sonnet-4-5');
    assert.equal(suite.cases[1]!.repetitions, 1);
  });

  test('reads JSON suites with the same rules', () => {
    const suite = parseSuite('{"cases": [{"name": "a", "model": "m", "prompt": "p", "temperature": 0.5}]}', 'suite.json');
    assert.equal(suite.name, 'suite');
    assert.equal(suite.cases[0]!.temperature, 0.5);
    assert.equal(suite.cases[0]!.maxTokens, 1024);
  });
});

describe('suite validation errors', () => {
  const base = ['defaults:', '  model: m', 'cases:', '  - name: a', '    prompt: hi'];

  test('unknown field names file, line 6 and the allowed fields', () => {
    const message = suiteError([...base, '    max_token: 5'].join('\n'), 'fixtures/x.yaml');
    assert.match(message, /^invalid suite fixtures\/x\.yaml:6: unknown field cases\[0\]\.max_token/);
    assert.match(message, /allowed fields are name, model, models/);
  });

  test('wrong type names line and field', () => {
    const message = suiteError([...base, '    max_tokens: many'].join('\n'));
    assert.match(message, /^invalid suite suite\.yaml:6: cases\[0\]\.max_tokens must be an integer from 1 to 1000000, got "many"/);
  });

  test('repetitions above 1000 are rejected', () => {
    assert.match(suiteError([...base, '    repetitions: 1001'].join('\n')), /:6: cases\[0\]\.repetitions must be an integer from 1 to 1000, got 1001/);
  });

  test('temperature above 1 is rejected', () => {
    assert.match(suiteError([...base, '    temperature: 1.5'].join('\n')), /:6: cases\[0\]\.temperature must be a number from 0 to 1/);
  });

  test('missing prompt names the case line', () => {
    const message = suiteError(['defaults:', '  model: m', 'cases:', '  - name: a', '    max_tokens: 5'].join('\n'));
    assert.match(message, /^invalid suite suite\.yaml:4: cases\[0\] has no prompt: set prompt or messages/);
  });

  test('missing model points to defaults or the case', () => {
    assert.match(suiteError(['cases:', '  - name: a', '    prompt: hi'].join('\n')), /:2: case "a" has no model: set model or models/);
  });

  test('duplicate case name names both lines', () => {
    const message = suiteError([...base, '  - name: a', '    prompt: again'].join('\n'));
    assert.match(message, /^invalid suite suite\.yaml:6: duplicate case name "a", already used on line 4/);
  });

  test('undefined variable names the field that uses it', () => {
    const message = suiteError(['defaults:', '  model: m', 'cases:', '  - name: a', '    messages:', '      - role: user', '        content: "{{topic}}"'].join('\n'));
    assert.match(message, /^invalid suite suite\.yaml:7: cases\[0\]\.messages\[0\]\.content uses \{\{topic\}\}, which is not defined/);
    assert.match(message, /--var topic=VALUE/);
  });

  test('message role other than user or assistant is rejected', () => {
    const message = suiteError(['defaults:', '  model: m', 'cases:', '  - name: a', '    messages:', '      - role: system', '        content: x'].join('\n'));
    assert.match(message, /:6: cases\[0\]\.messages\[0\]\.role must be user or assistant, got "system"/);
  });

  test('YAML syntax error names its line', () => {
    assert.match(suiteError('cases:\n  - name: a\n    prompt: "open'), /^invalid suite suite\.yaml:3: /);
  });

  test('empty cases list is rejected', () => {
    assert.match(suiteError('cases: []'), /^invalid suite suite\.yaml:1: cases must be a non-empty list/);
  });

  test('unknown top-level field is rejected', () => {
    assert.match(suiteError('case:\n  - name: a'), /unknown field case: allowed fields are name, description, defaults, cases/);
  });
});

describe('--var flags', () => {
  test('split at the first equals sign', () => {
    assert.deepEqual(parseVariableFlags(['a=1', 'b=x=y', 'c=']), { a: '1', b: 'x=y', c: '' });
  });

  test('reject a flag without a name', () => {
    assert.throws(() => parseVariableFlags(['=1']), /invalid --var "=1": use NAME=VALUE/);
  });
});
