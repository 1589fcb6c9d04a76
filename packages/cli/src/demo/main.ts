// The demo: the README's first command.
console.log('demo');
