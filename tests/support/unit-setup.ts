// Certificates: @peculiar/x509 needs the reflect polyfill loaded before it.
import 'reflect-metadata';
