# Wegwijzer API image: the models come inside Python packages, the vector store is built here at image build time,
# and nothing is fetched at run time (HF_HUB_OFFLINE=1). Stateless: scale by running more containers.
#
#   docker build -t wegwijzer .
#   docker run -p 8000:8000 wegwijzer                      # embedded store baked into the image
#   docker compose up --scale api=2                        # two replicas + one Chroma server (compose.yaml)
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    HF_HUB_DISABLE_TELEMETRY=1 \
    ANONYMIZED_TELEMETRY=False \
    RAGAS_DO_NOT_TRACK=true \
    WEGWIJZER_ENV=production \
    WEGWIJZER_EMBED_THREADS=1 \
    WEGWIJZER_WORKERS=2

RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin wegwijzer
WORKDIR /app

# torch first and alone, the CPU wheel from the PyTorch CPU index: any other torch pulls gigabytes of CUDA.
# (On the development machine the same wheel is installed from the local disk, see the Makefile; here the image
# build fetches it from the index.)
RUN pip install --index-url https://download.pytorch.org/whl/cpu torch==2.13.0

# The project is installed editable on purpose: its data folders (knowledge/, eval/data/, .store/, .models/) are
# found relative to the source tree, exactly as in a checkout.
COPY pyproject.toml README.md ./
COPY src ./src
COPY knowledge ./knowledge
COPY eval/data ./eval/data
RUN pip install -e .

# Built now, at image build time: the vector store (embedded Chroma), the blank Dutch spaCy folder and the learned
# danger model (saved beside the store). Code and data stay root-owned; the store folder belongs to the app user,
# because Chroma keeps lock files beside its data.
RUN wegwijzer ingest \
    && python -c "from wegwijzer.config import get_settings; from wegwijzer.services import build_services; build_services(get_settings())" \
    && chmod -R a+rX /app \
    && chown -R wegwijzer:wegwijzer /app/.store

USER wegwijzer
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
    CMD python -c "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/api/health', timeout=2).status == 200 else 1)"
CMD ["wegwijzer", "serve", "--host", "0.0.0.0", "--port", "8000"]
