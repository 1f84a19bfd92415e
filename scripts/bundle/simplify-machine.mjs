/**
 * clipanion's simplifyMachine, rewritten to make the same machine faster. Every run compiles
 * the parser (a state machine) of the commands argv can name, and simplifying it, which folds
 * each node's shortcuts into its own transitions, was most of that: ~6 ms of a cached login's
 * start-up (login's ten flags make ~530 transitions, each checked against the others of its node
 * with `Array.some`). This version keeps, per node, the targets already present in a Set and
 * reads the shortcut queue by index instead of `shift()`: the same transitions in the same
 * order, ~1.4 ms. The bundles get it as an edit of clipanion/lib/core.mjs (clipanion.mjs),
 * and `checkSimplifyEquivalence` proves it on every bundle's real parser at build time: a
 * machine that differs in anything fails the build. (This replaced a parser precompiled to
 * JSON at build time, which broke with clipanion 4's Sets; nothing here is stored.)
 */
import { isDeepStrictEqual } from 'node:util';

/** The function as clipanion 3.2.1 ships it in lib/core.mjs (the edit must find it unchanged). */
export const ORIGINAL_SIMPLIFY = `function simplifyMachine(input) {\n    const visited = new Set();\n    const process = (node) => {\n        if (visited.has(node))\n            return;\n        visited.add(node);\n        const nodeDef = input.nodes[node];\n        for (const transitions of Object.values(nodeDef.statics))\n            for (const { to } of transitions)\n                process(to);\n        for (const [, { to }] of nodeDef.dynamics)\n            process(to);\n        for (const { to } of nodeDef.shortcuts)\n            process(to);\n        const shortcuts = new Set(nodeDef.shortcuts.map(({ to }) => to));\n        while (nodeDef.shortcuts.length > 0) {\n            const { to } = nodeDef.shortcuts.shift();\n            const toDef = input.nodes[to];\n            for (const [segment, transitions] of Object.entries(toDef.statics)) {\n                const store = !Object.prototype.hasOwnProperty.call(nodeDef.statics, segment)\n                    ? nodeDef.statics[segment] = []\n                    : nodeDef.statics[segment];\n                for (const transition of transitions) {\n                    if (!store.some(({ to }) => transition.to === to)) {\n                        store.push(transition);\n                    }\n                }\n            }\n            for (const [test, transition] of toDef.dynamics)\n                if (!nodeDef.dynamics.some(([otherTest, { to }]) => test === otherTest && transition.to === to))\n                    nodeDef.dynamics.push([test, transition]);\n            for (const transition of toDef.shortcuts) {\n                if (!shortcuts.has(transition.to)) {\n                    nodeDef.shortcuts.push(transition);\n                    shortcuts.add(transition.to);\n                }\n            }\n        }\n    };\n    process(NODE_INITIAL);\n}`;

/** The replacement, as it goes into the bundle (clipanion's core.mjs has NODE_INITIAL in scope). */
export const FAST_SIMPLIFY = `function simplifyMachine(input) {
    const visited = new Set();
    // A number per test (tests compare by identity, as in the original), so that a test and a
    // target make one number: (test, to) pairs are looked up without building anything.
    const testIds = new Map();
    const pairOf = (test, to) => {
        let id = testIds.get(test);
        if (id === undefined)
            testIds.set(test, id = testIds.size);
        return id * input.nodes.length + to;
    };
    // Plain indexed loops: in code run once, before V8 optimises it, each for-of allocates an
    // iterator and each callback a closure (the original allocated ~770 KB for login's parser).
    const hasTarget = (store, to) => {
        for (let i = 0; i < store.length; ++i)
            if (store[i].to === to)
                return true;
        return false;
    };
    const visit = (node) => {
        if (visited.has(node))
            return;
        visited.add(node);
        const nodeDef = input.nodes[node];
        for (const segment in nodeDef.statics) {
            const transitions = nodeDef.statics[segment];
            for (let i = 0; i < transitions.length; ++i)
                visit(transitions[i].to);
        }
        for (let i = 0; i < nodeDef.dynamics.length; ++i)
            visit(nodeDef.dynamics[i][1].to);
        for (let i = 0; i < nodeDef.shortcuts.length; ++i)
            visit(nodeDef.shortcuts[i].to);
        if (nodeDef.shortcuts.length === 0)
            return;
        const dynamics = new Set();
        for (let i = 0; i < nodeDef.dynamics.length; ++i)
            dynamics.add(pairOf(nodeDef.dynamics[i][0], nodeDef.dynamics[i][1].to));
        const queue = nodeDef.shortcuts;
        const shortcuts = new Set();
        for (let i = 0; i < queue.length; ++i)
            shortcuts.add(queue[i].to);
        nodeDef.shortcuts = [];
        for (let next = 0; next < queue.length; ++next) {
            const toDef = input.nodes[queue[next].to];
            for (const segment in toDef.statics) {
                const store = !Object.prototype.hasOwnProperty.call(nodeDef.statics, segment) ? nodeDef.statics[segment] = [] : nodeDef.statics[segment];
                const transitions = toDef.statics[segment];
                for (let i = 0; i < transitions.length; ++i)
                    if (!hasTarget(store, transitions[i].to))
                        store.push(transitions[i]);
            }
            for (let i = 0; i < toDef.dynamics.length; ++i) {
                const [test, transition] = toDef.dynamics[i];
                const pair = pairOf(test, transition.to);
                if (!dynamics.has(pair)) {
                    dynamics.add(pair);
                    nodeDef.dynamics.push([test, transition]);
                }
            }
            for (let i = 0; i < toDef.shortcuts.length; ++i) {
                const transition = toDef.shortcuts[i];
                if (!shortcuts.has(transition.to)) {
                    queue.push(transition);
                    shortcuts.add(transition.to);
                }
            }
        }
    };
    visit(NODE_INITIAL);
}`;

/**
 * Throws unless FAST_SIMPLIFY (or `replacement`, for the tests) makes exactly the machine that
 * clipanion's own compile makes, for each Cli in `clis` (the parsers the bundles build).
 */
export async function checkSimplifyEquivalence(clis, replacement = FAST_SIMPLIFY) {
  const core = await import('clipanion/lib/core.mjs');
  const simplify = new Function('NODE_INITIAL', `${replacement}\nreturn simplifyMachine;`)(0);
  for (const [name, cli] of clis) {
    const expected = cli.builder.compile().machine;
    const machine = core.makeAnyOfMachine(cli.builder.builders.map((builder) => builder.compile().machine));
    simplify(machine);
    if (!isDeepStrictEqual(machine, expected)) throw new Error(`the faster simplifyMachine (scripts/bundle/simplify-machine.mjs) makes another parser than clipanion's for ${name}: fix it or drop the edit`);
  }
}
