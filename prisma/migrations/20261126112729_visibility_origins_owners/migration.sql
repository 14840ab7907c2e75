-- CreateEnum
CREATE TYPE "RegistryVisibility" AS ENUM ('PUBLIC', 'PRIVATE');

-- AlterTable
ALTER TABLE "ApiToken" ADD COLUMN     "team" TEXT;

-- AlterTable
ALTER TABLE "ClusterProfile" ADD COLUMN     "owner" TEXT;

-- AlterTable
ALTER TABLE "Registry" ADD COLUMN     "allowedOrigins" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "visibility" "RegistryVisibility" NOT NULL DEFAULT 'PUBLIC';
