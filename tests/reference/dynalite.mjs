// Starts dynalite, an in-memory DynamoDB, on a free loopback port for the tests (tests/EcsRoleAuditor.Dynalite).
// Prints {"port":N} once it listens; ends when standard input closes, so a test process that dies takes it along.
import dynalite from 'dynalite';

// Tables and indexes are ACTIVE at once: the tests create one per test class.
const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
