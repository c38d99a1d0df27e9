# Builds the Lambda function's Native AOT 'bootstrap' (runtime provided.al2023).
#
# SAM: template.yaml declares the function with
#     Metadata:
#       BuildMethod: makefile
# and `sam build` runs `make build-EcsRoleAuditorFunction ARTIFACTS_DIR=<dir>`; the target leaves exactly
# `bootstrap` in that directory. Locally, `make bootstrap` builds it into artifacts/bootstrap/linux-$(ARCH)/.
#
# Architecture: x86_64 by default (ARCH=x64). For Graviton set `Architectures: [arm64]` on the function and build
# with ARCH=arm64 ON AN ARM64 LINUX MACHINE (a Graviton instance or CI runner, or an arm64 container): Native AOT
# does not cross-compile between architectures without a cross toolchain and sysroot, so `make ARCH=arm64` on an
# x86_64 host fails at the native link step.
#
# Needs: the .NET SDK pinned in global.json, and clang (or gcc) plus binutils for the native link step
# (Debian/Ubuntu: apt-get install clang binutils). The binary must link against glibc <= 2.34, the version on
# Amazon Linux 2023; Debian 12 and Ubuntu 22.04 build hosts satisfy this (a test checks the published binary).

ARCH ?= x64
CONFIGURATION ?= Release
PROJECT := src/EcsRoleAuditor.Lambda
PUBLISH_DIR := artifacts/publish/linux-$(ARCH)
LOCAL_DIR := artifacts/bootstrap/linux-$(ARCH)

# Checked before anything is built: SAM always sets ARTIFACTS_DIR, a person calling the SAM target by hand may not.
ifneq ($(filter build-EcsRoleAuditorFunction,$(MAKECMDGOALS)),)
ifndef ARTIFACTS_DIR
$(error ARTIFACTS_DIR is not set: sam build sets it; run 'make bootstrap' for a local build)
endif
endif

.PHONY: build-EcsRoleAuditorFunction bootstrap publish clean-bootstrap

publish:
	dotnet publish $(PROJECT) -c $(CONFIGURATION) -r linux-$(ARCH) -o $(PUBLISH_DIR) -nologo

build-EcsRoleAuditorFunction: publish
	mkdir -p "$(ARTIFACTS_DIR)"
	cp $(PUBLISH_DIR)/bootstrap "$(ARTIFACTS_DIR)/bootstrap"

bootstrap: publish
	mkdir -p $(LOCAL_DIR)
	cp $(PUBLISH_DIR)/bootstrap $(LOCAL_DIR)/bootstrap
	@echo "$(LOCAL_DIR)/bootstrap"

clean-bootstrap:
	rm -rf $(PUBLISH_DIR) $(LOCAL_DIR)
