/**
 * Opens N idle client connections to the broker at argv[2] (plus one subscriber among them),
 * reports when they are open, then on request publishes once and reports whether the
 * subscriber among them received it.
 */
import { MessageBuilder, MessagingClient } from '../../ts/index.js';

const [url, countText] = process.argv.slice(2) as [string, string];
const count = Number(countText);
const clients: MessagingClient[] = [];
for (let i = 0; i < count; i += 200) {
  const batch = await Promise.all(Array.from({ length: Math.min(200, count - i) }, () => MessagingClient.connect(url, { retryAttempts: 0 })));
  for (const c of batch) if (c.isOk()) clients.push(c.value);
}
const state = { reached: false };
const subscriber = clients[Math.floor(clients.length / 2)];
await subscriber?.subscribe('idle.ping', () => {
  state.reached = true;
});
process.send?.({ opened: clients.length });
process.on('message', async () => {
  (await clients[0]?.publish(new MessageBuilder().topic('idle.ping').build().unwrap(), { ack: true }))?.unwrap();
  const deadline = Date.now() + 3000;
  while (!state.reached && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  process.send?.({ reached: state.reached });
});
