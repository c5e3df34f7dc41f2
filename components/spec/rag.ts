// `rag`: the embedding engine and model, the OpenAI/Ollama endpoints and their keys, with their
// defaults and checks.
import { DEFAULTS } from "./defaults";
import { enumValues, problem } from "./errors";
import { checkHttpUrl } from "./specChecks";
import type { ResolvedSpec } from "./specTypes";
import { EmbeddingEngine, OpenWebUiClusterArgs } from "../args/types";

/** `rag`, defaulted; its engine and URLs checked (its keys by `ragKeyProblems`, later in the order of checks). */
export function resolveRag(a: OpenWebUiClusterArgs, problems: string[]): ResolvedSpec["rag"] {
    const engine = a.rag?.embeddingEngine ?? DEFAULTS["rag.embeddingEngine"].value;
    if (!enumValues(EmbeddingEngine).includes(engine)) {
        problems.push(
            problem(
                "rag.embeddingEngine",
                engine,
                "use openai or ollama; in-pod SentenceTransformers makes every replica load a model and is not suited to scale",
            ),
        );
    }
    (a.rag?.openaiApiBaseUrls ?? []).forEach((u, i) => checkHttpUrl(`rag.openaiApiBaseUrls[${i}]`, u, problems, "rag.openaiApiKeys"));
    (a.rag?.ollamaBaseUrls ?? []).forEach((u, i) => checkHttpUrl(`rag.ollamaBaseUrls[${i}]`, u, problems, "extraSecretEnv"));
    if (a.rag?.embeddingApiBaseUrl !== undefined) checkHttpUrl("rag.embeddingApiBaseUrl", a.rag.embeddingApiBaseUrl, problems, "rag.embeddingApiKey");
    return {
        ...a.rag,
        embeddingEngine: engine,
        embeddingModel: a.rag?.embeddingModel ?? DEFAULTS["rag.embeddingModel"].value,
        hybridSearch: a.rag?.hybridSearch ?? DEFAULTS["rag.hybridSearch"].value,
    };
}

/** The RAG keys: from existing Kubernetes Secrets, or as Pulumi secrets, one of each. */
export function ragKeyProblems(a: OpenWebUiClusterArgs, problems: string[]): void {
    for (const [v, r, f] of [
        [a.rag?.openaiApiKeys, a.rag?.openaiApiKeysRef, "rag.openaiApiKeys"],
        [a.rag?.embeddingApiKey, a.rag?.embeddingApiKeyRef, "rag.embeddingApiKey"],
    ] as const) {
        if (v !== undefined && r !== undefined)
            problems.push(problem(`${f}/${f}Ref`, "both set", "set one: the value as a Pulumi secret, or the reference to an existing Secret"));
    }
    if (
        a.rag?.openaiApiKeysRef &&
        (a.rag.embeddingEngine ?? DEFAULTS["rag.embeddingEngine"].value) === EmbeddingEngine.Openai &&
        a.rag.embeddingApiKey === undefined &&
        a.rag.embeddingApiKeyRef === undefined
    ) {
        problems.push(
            problem(
                "rag.embeddingApiKeyRef",
                undefined,
                "with rag.openaiApiKeysRef the embedding key cannot be taken from the first key (it lives in your Secret): set rag.embeddingApiKeyRef (or rag.embeddingApiKey)",
            ),
        );
    }
}
