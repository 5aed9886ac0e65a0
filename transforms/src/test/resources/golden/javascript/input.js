// Event bus with wildcard listeners.
'use strict';

const WILDCARD = '*';

class EventBus {
  constructor() {
    this.listeners = new Map();
  }

  on(event, handler) {
    const list = this.listeners.get(event) ?? [];
    list.push(handler);
    this.listeners.set(event, list);
    return () => this.off(event, handler);
  }

  off(event, handler) {
    const list = this.listeners.get(event);
    if (!list) return;
    this.listeners.set(event, list.filter((h) => h !== handler));
  }

  emit(event, ...args) {
    for (const key of [event, WILDCARD]) {
      (this.listeners.get(key) || []).forEach((h) => h(...args));
    }
  }
}

function createLogger(prefix = 'bus') {
  return (msg) => console.log(`[${prefix}] ${msg}`);
}

const bus = new EventBus();
const log = createLogger();
bus.on('ready', log);
bus.emit('ready', 42, /ab+c/gi, 0x1f);

module.exports = { EventBus, createLogger };
