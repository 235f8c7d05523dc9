/**
 * A JetStream consumer process that the tests SIGKILL in the middle of a
 * handler: it prints `handling <seq>` once a message is in its handler and
 * then never finishes, so the message is neither acked nor nak'ed.
 *
 * Usage: `_nats_crash_consumer.ts <servers> <stream> <durable>`.
 *
 * @module
 */
import { connect } from "@nats-io/transport-node";
import { jetstream } from "@nats-io/jetstream";
import { JetStreamConsumer } from "../messaging/mod.ts";
import { JsonSerializer } from "../serializers/mod.ts";

const [servers, stream, durable] = process.argv.slice(-3);
const nc = await connect({ servers: servers.split(",") });
const js = jetstream(nc);
const worker = new JetStreamConsumer(await js.consumers.get(stream, durable), {
  serializer: new JsonSerializer(),
  handler: (_message, delivery) => {
    console.log(`handling ${delivery.info.streamSequence}`);
    return new Promise<void>(() => {}); // killed here
  },
  deadLetter: {
    publisher: js,
    subject: `${stream}-dead`,
    headers: () => {
      throw new Error("no dead letter expected");
    },
  },
});
await worker.run();
