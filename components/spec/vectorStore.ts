// `vectorStore`: where RAG embeddings live (pgvector in the database by default, or a server of
// its own): the type, its settings with their defaults, and their checks.
import { checkUrl } from "./addresses";
import { DEFAULTS } from "./defaults";
import { enumValues, problem } from "./errors";
import { PGVECTOR_MAX_INDEXED_DIMENSIONS, ResolvedSpec } from "./specTypes";
import { OpenWebUiClusterArgs, VectorStore } from "../args/types";

/** Default port of each vector server, for the example URL of a message. */
const EXAMPLE_PORT: Record<string, number> = { qdrant: 6333, milvus: 19530, opensearch: 9200, elasticsearch: 9200, chromaHttp: 8000 };

/** `vectorStore`, defaulted and checked. */
export function resolveVectorStore(a: OpenWebUiClusterArgs, problems: string[]): ResolvedSpec["vectorStore"] {
    const v = a.vectorStore;
    const vsType = v?.type ?? DEFAULTS["vectorStore.type"].value;
    if (!enumValues(VectorStore).includes(vsType)) {
        problems.push(
            problem(
                "vectorStore.type",
                vsType,
                `use one of ${enumValues(VectorStore).join(", ")}; the embedded Chroma (SQLite) crashes workers with more than one process`,
            ),
        );
    } else if (vsType !== VectorStore.Pgvector && v?.url === undefined && vsType !== VectorStore.Pinecone) {
        problems.push(
            problem(
                "vectorStore.url",
                undefined,
                `vectorStore.type=${vsType} needs the URL of its server (for Chroma: its HTTP server, never the embedded store)`,
            ),
        );
    }
    if (v?.url !== undefined && enumValues(VectorStore).includes(vsType)) {
        // Milvus also speaks gRPC at tcp://; the others are HTTP APIs.
        const schemes = vsType === VectorStore.Milvus ? ["http", "https", "tcp"] : ["http", "https"];
        checkUrl(problems, "vectorStore.url", v.url, {
            schemes,
            fix: `use the ${schemes.map((x) => x + "://").join(" or ")} URL of the ${vsType} server with a host, e.g. http://${vsType.toLowerCase()}.vectors.svc:${EXAMPLE_PORT[vsType] ?? 80}`,
            credentialsIn: "vectorStore.apiKeySecret",
        });
    }
    if (vsType === VectorStore.Pinecone && v?.apiKeySecret === undefined) {
        problems.push(problem("vectorStore.apiKeySecret", undefined, "Pinecone needs an API key: reference a Secret key holding it"));
    }
    const maxVec = v?.pgvectorMaxVectorLength ?? DEFAULTS["vectorStore.pgvectorMaxVectorLength"].value;
    // pgvector indexes `vector` up to 2000 dimensions and `halfvec` up to 4000; above 2000 the
    // env switches Open WebUI to halfvec (PGVECTOR_USE_HALFVEC), which it otherwise refuses at start.
    if (!Number.isInteger(maxVec) || maxVec < 1 || maxVec > PGVECTOR_MAX_INDEXED_DIMENSIONS) {
        problems.push(
            problem(
                "vectorStore.pgvectorMaxVectorLength",
                maxVec,
                `use a whole number from 1 to ${PGVECTOR_MAX_INDEXED_DIMENSIONS}: pgvector indexes halfvec up to 4000 dimensions (above 2000 the component sets PGVECTOR_USE_HALFVEC=true); for larger embeddings pick a model or a dimensions setting of at most 4000 (text-embedding-3-large: 3072)`,
            ),
        );
    }
    return {
        ...v,
        type: vsType,
        pgvectorIndexMethod: v?.pgvectorIndexMethod ?? DEFAULTS["vectorStore.pgvectorIndexMethod"].value,
        pgvectorMaxVectorLength: maxVec,
    };
}
