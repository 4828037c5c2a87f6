// Benchmark responders: N `_ssh._tcp` services (TXT mblos=1) published with bonjour-service from one lab host,
// `perResponder` services per bonjour-service instance (its answer to a browse is one packet per instance, so
// it must stay under the 9,000-byte mDNS limit). Each service has its own host name `bench-NNNN.local` with the
// host's addresses. Prints `ready` once every service has been announced twice; runs until killed (SIGTERM says
// goodbye). With `no-loopback`, an instance's packets are not looped back to the other instances on this host:
// they stop decoding each other's answers, work that boards on CPUs of their own would not share.
//
//   ip netns exec <prefix>-xbench node --import tsx bench/mdns-responders.ts COUNT PER_RESPONDER IPV4 [no-loopback]
import { Bonjour } from 'bonjour-service';

const [count, perResponder, ipv4] = [Number(process.argv[2]), Number(process.argv[3] ?? 25), process.argv[4] ?? '0.0.0.0'];
const loopback = process.argv[5] !== 'no-loopback';
const responders: Bonjour[] = [];
/** bonjour-service's Service, as far as this script touches it (its registry reads `activated`). */
type Published = ReturnType<Bonjour['publish']> & { activated: boolean };
const services: Published[] = [];
let published = 0;
for (let first = 0; first < count; first += perResponder) {
  // Bonjour's options go to multicast-dns (interface, bind, loopback), which its ServiceConfig type does not describe.
  const options = { interface: ipv4, bind: '0.0.0.0', loopback } as ConstructorParameters<typeof Bonjour>[0];
  const bonjour = new Bonjour(options, (err: Error) => process.stderr.write(`responder: ${err.message}\n`));
  responders.push(bonjour);
  for (let i = first; i < Math.min(count, first + perResponder); i++) {
    const name = `bench-${String(i).padStart(4, '0')}`;
    // no probing: a thousand probes would only measure bonjour-service's start-up
    const service = bonjour.publish({ name, type: 'ssh', port: 22, host: `${name}.local`, txt: { mblos: 1 }, probe: false } as never) as Published;
    services.push(service);
    service.on('up', () => {
      if (++published === count) setTimeout(stopReannouncing, SECOND_ANNOUNCEMENT_MS);
    });
  }
}

/**
 * bonjour-service announces a service again 3, 12, 39, 120 and 363 s after the first time, each service in its own
 * packet: at 1,000 services, a burst of 1,000 packets that lands in whichever measurement is running then. Boards
 * running avahi announce in their first seconds and then only answer (a lab board's avahi-daemon, reloaded: its
 * last announcement within 4 s, none in the 46 s after), so after the second announcement the re-announcing stops:
 * its timer finds the service not `activated` and returns. Answering queries is the server's, from the records
 * registered at the first announcement, and carries on.
 */
const SECOND_ANNOUNCEMENT_MS = 3_500;
function stopReannouncing(): void {
  for (const s of services) s.activated = false;
  process.stdout.write('ready\n');
}

const stop = () => {
  // the goodbyes (TTL 0) go only to activated services
  for (const s of services) s.activated = true;
  let left = responders.length;
  for (const r of responders) r.unpublishAll(() => --left === 0 && process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
