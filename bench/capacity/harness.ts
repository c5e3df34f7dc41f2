// The HA drills' harness pieces the benchmark uses (one import point; nothing copied).
export { IT_HOME, cleanupAll } from "../../tests/integration/lib/procs";
export { OPEN_WEBUI_BIN } from "../../tests/integration/lib/openwebui";
