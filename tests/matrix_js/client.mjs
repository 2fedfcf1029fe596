// A Matrix client that nobody on this project wrote: matrix-js-sdk with the Rust crypto
// (@matrix-org/matrix-sdk-crypto-wasm), the stack Element uses. tests/matrix_js_client.py
// drives it: one JSON request per line on stdin, one JSON answer per line on stdout
// ({"id", "ok", "result"} or {"id", "ok": false, "error"}). Logs go to stderr.

import * as readline from "node:readline";

// stdout carries the answers only: the SDK's and the crypto's console output goes to stderr.
for (const level of ["log", "info", "warn", "debug", "trace"]) {
    console[level] = (...parts) => console.error(...parts);
}

import * as sdk from "matrix-js-sdk";
import { OnlySignedDevicesIsolationMode, AllDevicesIsolationMode } from "matrix-js-sdk/lib/crypto-api/index.js";
import { logger } from "matrix-js-sdk/lib/logger.js";

logger.setLevel("error");

let client = null;
let password = null;
const events = []; // every timeline event, in arrival order, decrypted when possible

function sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

async function describe(event) {
    const crypto = client.getCrypto();
    let shield = null;
    if (event.isEncrypted() && !event.isDecryptionFailure()) {
        const info = await crypto.getEncryptionInfoForEvent(event);
        shield = info ? { colour: info.shieldColour, reason: info.shieldReason } : null;
    }
    return {
        event_id: event.getId(),
        room_id: event.getRoomId(),
        sender: event.getSender(),
        type: event.getType(),
        content: event.getContent(),
        wire_type: event.getWireType(),
        wire_content: event.getWireContent(),
        decryption_failure: event.isDecryptionFailure() ? String(event.decryptionFailureReason) : null,
        thread_root: event.threadRootId ?? null,
        shield,
    };
}

async function waitFor(predicate, timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        for (const event of events) {
            if (predicate(event)) {
                return await describe(event);
            }
        }
        await sleep(100);
    }
    const seen = await Promise.all(events.slice(-15).map(describe));
    throw new Error(`timed out; last events: ${JSON.stringify(seen.map((e) => [e.sender, e.type, e.content?.body ?? e.content?.["m.relates_to"]?.key, e.decryption_failure]))}`);
}

const operations = {
    async start({ homeserver, user_id, password: secret, isolation, blacklist_unverified }) {
        password = secret;
        const login = await sdk.createClient({ baseUrl: homeserver }).loginRequest({
            type: "m.login.password",
            identifier: { type: "m.id.user", user: user_id },
            password: secret,
            initial_device_display_name: "matrix-js-sdk test client",
        });
        client = sdk.createClient({
            baseUrl: homeserver,
            userId: login.user_id,
            deviceId: login.device_id,
            accessToken: login.access_token,
        });
        await client.initRustCrypto({ useIndexedDB: false });
        const crypto = client.getCrypto();
        crypto.setDeviceIsolationMode(
            isolation === "signed" ? new OnlySignedDevicesIsolationMode() : new AllDevicesIsolationMode(false),
        );
        crypto.globalBlacklistUnverifiedDevices = Boolean(blacklist_unverified);
        // A user of Element with cross-signing set up, as they all are today.
        await crypto.bootstrapCrossSigning({
            authUploadDeviceSigningKeys: async (makeRequest) => {
                await makeRequest({
                    type: "m.login.password",
                    identifier: { type: "m.id.user", user: login.user_id },
                    password,
                });
            },
        });
        client.on(sdk.RoomEvent.Timeline, (event) => {
            events.push(event);
        });
        await client.startClient({ initialSyncLimit: 20 });
        await new Promise((resolve) => {
            const ready = (state) => {
                if (state === "PREPARED" || state === "SYNCING") {
                    client.off(sdk.ClientEvent.Sync, ready);
                    resolve();
                }
            };
            client.on(sdk.ClientEvent.Sync, ready);
        });
        return { user_id: login.user_id, device_id: login.device_id };
    },

    async create_room({ name, encrypted, invite }) {
        const initial_state = encrypted
            ? [{ type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } }]
            : [];
        const { room_id } = await client.createRoom({ name, invite, initial_state, preset: "private_chat" });
        return room_id;
    },

    async wait_for_join({ room_id, user_id, timeout_ms }) {
        const deadline = Date.now() + timeout_ms;
        while (Date.now() < deadline) {
            const member = client.getRoom(room_id)?.getMember(user_id);
            if (member?.membership === "join") return true;
            await sleep(100);
        }
        throw new Error(`${user_id} did not join ${room_id}`);
    },

    async mark() {
        return events.length;
    },

    async send({ room_id, content, event_type }) {
        const { event_id } = await client.sendEvent(room_id, event_type ?? "m.room.message", content);
        return event_id;
    },

    async react({ room_id, event_id, key }) {
        const content = { "m.relates_to": { rel_type: "m.annotation", event_id, key } };
        const answer = await client.sendEvent(room_id, "m.reaction", content);
        return answer.event_id;
    },

    async upload_and_send_file({ room_id, name, data_base64, caption }) {
        const data = Buffer.from(data_base64, "base64");
        const { content_uri } = await client.uploadContent(data, { name, type: "application/octet-stream" });
        const content = { msgtype: "m.file", body: caption ?? name, filename: name, url: content_uri };
        const { event_id } = await client.sendEvent(room_id, "m.room.message", content);
        return event_id;
    },

    async wait_for_event({ room_id, since, sender, contains, type, relates_to, timeout_ms }) {
        return await waitFor((event) => {
            const index = events.indexOf(event);
            if (index < (since ?? 0) || event.getRoomId() !== room_id) return false;
            if (event.isBeingDecrypted()) return false;
            if (sender && event.getSender() !== sender) return false;
            if (type && event.getType() !== type) return false;
            const content = event.getContent();
            if (contains && !String(content.body ?? "").includes(contains)) return false;
            if (relates_to && event.getWireContent()["m.relates_to"]?.event_id !== relates_to) return false;
            return true;
        }, timeout_ms ?? 20000);
    },

    async device_status({ user_id, device_id }) {
        const crypto = client.getCrypto();
        // The keys of a room member arrive with the crypto's own key queries: wait for them.
        let status = null;
        for (let tries = 0; tries < 100 && status === null; tries++) {
            await crypto.getUserDeviceInfo([user_id], true);
            status = await crypto.getDeviceVerificationStatus(user_id, device_id);
            if (status === null) await sleep(100);
        }
        const identity = await crypto.getUserVerificationStatus(user_id);
        return {
            signed_by_owner: status?.signedByOwner ?? null,
            cross_signing_verified: status?.crossSigningVerified ?? null,
            user_cross_signed: await crypto.userHasCrossSigningKeys(user_id, true),
            user_verified: identity.isVerified(),
        };
    },

    async stop() {
        client?.stopClient();
        setTimeout(() => process.exit(0), 50);
        return true;
    },
};

const input = readline.createInterface({ input: process.stdin });
input.on("line", async (line) => {
    let request;
    try {
        request = JSON.parse(line);
        const result = await operations[request.op](request.args ?? {});
        process.stdout.write(JSON.stringify({ id: request.id, ok: true, result }) + "\n");
    } catch (error) {
        process.stdout.write(
            JSON.stringify({ id: request?.id ?? null, ok: false, error: String(error?.stack ?? error) }) + "\n",
        );
    }
});
input.on("close", () => {
    client?.stopClient();
    process.exit(0);
});
