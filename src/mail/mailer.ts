import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

export interface ReceivedMail {
  to: string[];
  from: string;
  subject: string;
  text: string;
  receivedAt: Date;
}

/** Sends mail over SMTP (nodemailer). */
export class SmtpMailer {
  private readonly transport: nodemailer.Transporter;
  constructor(smtpUrl: string, private readonly from: string) {
    this.transport = nodemailer.createTransport(smtpUrl);
  }
  async send(mail: OutgoingMail): Promise<void> {
    await this.transport.sendMail({ from: this.from, to: mail.to, subject: mail.subject, text: mail.text });
  }
  close() {
    this.transport.close();
  }
}

/**
 * A real SMTP server started in-process for development and tests: it receives what the platform
 * sends, keeps it in memory and writes each message as .eml under the data directory.
 */
export class DevMailbox {
  readonly messages: ReceivedMail[] = [];
  private server: SMTPServer;
  private listeners: Array<() => void> = [];
  port = 0;

  constructor(private readonly saveDir?: string) {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      size: 5 * 1024 * 1024,
      onData: (stream, _session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', async () => {
          try {
            const raw = Buffer.concat(chunks);
            const parsed = await simpleParser(raw);
            const toField = Array.isArray(parsed.to) ? parsed.to : parsed.to ? [parsed.to] : [];
            const mail: ReceivedMail = {
              to: toField.flatMap((a) => a.value.map((v) => (v.address ?? '').toLowerCase())),
              from: parsed.from?.value[0]?.address ?? '',
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              receivedAt: new Date(),
            };
            this.messages.push(mail);
            if (this.saveDir) {
              await mkdir(this.saveDir, { recursive: true });
              await writeFile(path.join(this.saveDir, `${Date.now()}-${this.messages.length}.eml`), raw);
            }
            for (const l of this.listeners.splice(0)) l();
            callback();
          } catch (err) {
            callback(err as Error);
          }
        });
      },
    });
  }

  async start(port = 0): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    const address = this.server.server.address();
    this.port = typeof address === 'object' && address ? address.port : port;
    return this.port;
  }

  get smtpUrl() {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Waits for a mail to `to` whose subject matches, up to `timeoutMs`. */
  async waitFor(to: string, subject: RegExp, timeoutMs = 15_000): Promise<ReceivedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = [...this.messages].reverse().find((m) => m.to.includes(to.toLowerCase()) && subject.test(m.subject));
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no mail to ${to} matching ${subject} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 250));
        this.listeners.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async stop() {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
